"""Training: synthetic data, loss-masked batches, the LoRA fine-tuning loop and adapter export."""
