"""The teacher's view of a class: learners' remotes, fetched read-only, summarised into rows."""
