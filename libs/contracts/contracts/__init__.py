"""The wire contracts services share: nothing else crosses a service boundary.

One module per owning service holds the schemas of its RPC inputs and the
`EventContract`s of the events it publishes. `catalogue.EVENTS` lists every event.
"""
