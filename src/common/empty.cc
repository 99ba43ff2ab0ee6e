// Keeps every subsystem library non-empty while a subsystem is being written.
