"""The canonical API's routes of imports and exports."""
