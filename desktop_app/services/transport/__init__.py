"""Transports: how a sealed message leaves (EWS, Microsoft Graph, SMTP submission)."""
