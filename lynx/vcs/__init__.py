"""Git: the one place lynx runs git, for the learner's workspace, scratch folders and the teacher's cache."""
