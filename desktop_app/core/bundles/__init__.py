"""The admin-published certificate bundle: its manifest and its CMS signature."""
