"""Where a message goes once the send gate has decided how it leaves: audit, seal, queue."""
