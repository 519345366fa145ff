"""The notebooks' interactive panels, built on ipywidgets and matplotlib.

    weights_panel()   notebook 01: nine sliders for a 2-2-1 network's parameters
    playground()      notebook 03 and the app: retrain on XOR live
    sweep_panel()     notebook 04: success rates over many random starts, live

Import them from their modules (nnlib.widgets.playground, ...): this package
file stays empty of imports so that loading one panel loads only what it needs.
"""
