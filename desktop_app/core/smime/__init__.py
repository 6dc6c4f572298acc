"""S/MIME: CMS envelopes (seal and open), signatures and their MIME wrapping.

Import from the modules themselves: sealing need not load the opening code, nor opening
the sealing code.
"""
