"""Microsoft Graph over ``requests`` (no SDK): mail, MailTips, directory names and lists."""
