"""What a learner does, as plain functions that return data: breaks, builds, quizzes, cards, status."""
