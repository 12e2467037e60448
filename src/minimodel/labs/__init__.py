"""Labs: longer experiments that `lynx lab <phase> <id>` runs and whose numbers the theory pages quote."""
