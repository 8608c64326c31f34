fetch("/api/events");
