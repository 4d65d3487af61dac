"""Request and response schemas, a module per resource (fields: what they all build on); the
OpenAPI document is generated from them."""
