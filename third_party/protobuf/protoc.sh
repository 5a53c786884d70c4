#!/bin/sh
# The system protoc (Debian protobuf-compiler 3.21.12).
exec /usr/bin/protoc "$@"
