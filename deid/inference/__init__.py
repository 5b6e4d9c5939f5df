"""Inference engines: one small interface, a vLLM and a transformers implementation behind it."""

from deid.inference.base import Engine, Generation, create_engine

__all__ = ["Engine", "Generation", "create_engine"]
