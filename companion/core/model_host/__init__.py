"""The embedding model in a process of its own, shared by every front end of one user.

Importing torch and sentence-transformers costs seconds and ~400 MB, and holds the GIL
while it runs. So the model lives in a *model host*: a small server
(``server.py``) that loads it once and answers "embed these texts" over a Unix socket
only the user can open (``protocol.py``). ``HostedEmbedder`` (``client.py``) starts the
host when none is running and talks to it; the editor's window and every
``humanize check`` run never import torch. The host exits after a few idle minutes.
``HUMANIZE_MODEL_HOST=off`` (or a platform without Unix sockets) loads the model in
the process instead.
"""
