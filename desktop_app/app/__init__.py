"""The top layer: builds the object graph (services for the windows and the command line),
and is the program's entry point (``main``). Nothing imports it but the launchers."""
