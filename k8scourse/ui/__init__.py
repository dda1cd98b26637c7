"""The notebook layer: IPython magics now, widgets later. Display only: the logic lives below.

`%load_ext k8scourse` calls `load_ipython_extension`, which registers the magics.
"""
