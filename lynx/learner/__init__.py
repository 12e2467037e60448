"""The learner's own files: the workspace config, the active session, progress, notes, quiz attempts, card states."""
