"""Handler framework: stream payloads -> user handlers (dicts or volas DataFrames)."""

from binance_core.handlers.base import HandlerBase
from binance_core.handlers.dispatch import Dispatcher
from binance_core.handlers.errors import HandlerExceptionHandlerBase, StreamError, StreamErrorHandlerBase
from binance_core.handlers.frames import FrameConverter, compile_columns, levels_frame

__all__ = [
    'Dispatcher',
    'FrameConverter',
    'HandlerBase',
    'HandlerExceptionHandlerBase',
    'StreamError',
    'StreamErrorHandlerBase',
    'compile_columns',
    'levels_frame',
]
