"""`make bench`: every benchmark, figures printed."""
from . import sync_cost

sync_cost.main([])
