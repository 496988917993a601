"""MkDocs hooks: pages generated from records and policies at build time, never committed."""
