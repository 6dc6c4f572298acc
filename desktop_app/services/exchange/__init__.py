"""Microsoft Exchange (EWS): account, directory certificates, MailTips, mailbox and sending."""
