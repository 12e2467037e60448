"""The presentation layer: everything lynx prints or asks in a terminal."""
