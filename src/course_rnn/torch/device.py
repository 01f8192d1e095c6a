"""Pick where tensors live: CUDA, else Apple's MPS, else the CPU."""
import torch


def device():
    """The best available ``torch.device``; the course runs unchanged on any of them."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
