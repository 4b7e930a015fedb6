"""`make bench`: every benchmark, figures printed."""
from . import board_pack, edit_latency, freshness, load, memory, page_queries, sync_cost

sync_cost.main([])
print()
sync_cost.main(["--schools", "1000", "--partnerships", "40"])  # an authority's hub
print()
edit_latency.main()
print()
memory.main([])
print()
page_queries.main([])
print()
board_pack.main([])
print()
freshness.main([])
print()
load.main([])
