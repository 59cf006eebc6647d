"""The pickle serializer Django removed in 5.0, kept alive here (this is the mistake)."""

import pickle


class PickleSerializer:
    """Serialize sessions with pickle: whoever can forge a session runs code on the server."""

    protocol = pickle.HIGHEST_PROTOCOL

    def dumps(self, obj):
        return pickle.dumps(obj, self.protocol)

    def loads(self, data):
        return pickle.loads(data)  # noqa: S301 - the insecure example on purpose
