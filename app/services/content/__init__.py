"""Content: bulletins, versions, review, quiz files, import/export."""
