"""The cache keys where the dispatcher and the worker write when they last ran (read by
/health/, publishing.health)."""

HEARTBEAT_DISPATCHER = "publishing:heartbeat:dispatcher"
HEARTBEAT_WORKER = "publishing:heartbeat:worker"
