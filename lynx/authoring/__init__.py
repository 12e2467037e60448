"""Tools for course authors: prove the course (validate), render its mirror, regenerate build stubs."""
