"""The core's math with fewer numpy calls: one network fast, or many networks at once.

    FastTrainer / train_fast   one network, the same History as nnlib.train
    NetworkStack / train_stack M networks of one shape, trained together

Both give the numbers nnlib.train gives, up to rounding in the last digits.
"""
from .stack import NetworkStack, StackHistory, train_stack
from .trainer import FastTrainer, train_fast

__all__ = ["FastTrainer", "NetworkStack", "StackHistory", "train_fast", "train_stack"]
