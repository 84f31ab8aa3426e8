"""The reports API: templates (`templates.py`), schedules (`schedules.py`), runs with their
progress and downloads (`runs.py`); serializers in `serializers.py`."""
