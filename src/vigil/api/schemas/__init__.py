"""Request and response bodies, in Create / Update / Public families per resource."""
