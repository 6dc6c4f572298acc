"""MIME for S/MIME: compose the inner entity to be signed and read an opened message.

Import from the modules themselves: a command that only composes (seal) need not load
the reader.
"""
