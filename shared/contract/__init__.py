"""The one backend contract every channel maps onto: vocabulary, commands, events, views."""
