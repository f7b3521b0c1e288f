"""Community Trigger kit (ctkit): one source for a community safety partnership's ASB Case Review guidance, forms,
validator and casework. The partnership's content is a folder of its own (ctkit.yml at its root); see ARCHITECTURE.md."""
