"""Where mail comes from: the lists the main window shows, opened messages, and folders."""
