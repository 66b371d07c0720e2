"""Signals other apps listen to (accounts knows nothing of who listens)."""

from django.dispatch import Signal

# Sent inside the invitation's transaction, once the membership exists, with
# ``invitation`` (accounts.services.Invitation) and ``actor`` (who invited, as text).
# The audit trail (operators.audit) records every invitation from it.
member_invited = Signal()
