"""Send each frame of the playground at once: TCP_NODELAY on the kernel's websocket.

Jupyter's server relays every kernel message to the browser over a websocket
(tornado). A Play frame is a burst of small messages, one per view. TCP by
default holds a small write back while an earlier one is unacknowledged
(Nagle's algorithm), and the receiver delays its acknowledgement (up to 40
ms on Linux), so the last views of a frame can arrive tens of milliseconds
late: Play stalled at about 21 frames a second, although a frame takes a few
milliseconds to make. Tornado can switch Nagle off for a websocket
(WebSocketHandler.set_nodelay), but Jupyter's server does not; this
connection class does, for every kernel websocket. `make lab`, `make app`
and Binder (binder/postBuild) use it:

    jupyter lab --ServerApp.kernel_websocket_connection_class=nnlib.widgets.nodelay.NoDelayConnection
    voila --Voila.kernel_websocket_connection_class=nnlib.widgets.nodelay.NoDelayConnection ...

It changes nothing else: the messages and their order stay the same.
"""
from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's kernel websocket connection, with Nagle's algorithm switched off."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
