"""Experiments over many random starts: the sweep, its process pool, and what it says.

    from nnlib.experiments import sweep, success_rate
    runs = sweep([3], repeats=1000, epochs=10000)
    print(success_rate(runs))
"""
from .success import (PLATEAUS, SuccessRate, plateau, plateau_counts, success_rate,
                      wilson_interval)
from .sweep import Run, is_learned, is_solved, network_epochs, sweep

__all__ = ["PLATEAUS", "Run", "SuccessRate", "is_learned", "is_solved", "network_epochs", "plateau", "plateau_counts",
           "success_rate", "sweep", "wilson_interval"]
