"""`make bench`: every benchmark, figures printed."""
from . import edit_latency, memory, sync_cost

sync_cost.main([])
print()
edit_latency.main()
print()
memory.main([])
