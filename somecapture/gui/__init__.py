"""The desktop app: a thin PySide6 shell over the engine.

``app`` starts Qt, ``bridge`` runs the engine on its own thread and asyncio loop and reports
through Qt signals, ``main_window`` composes the views in ``widgets``. No capture logic here.
"""
