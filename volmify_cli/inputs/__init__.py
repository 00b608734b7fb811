"""Domain inputs: what a command or a document asks for, and the rules it must pass."""
