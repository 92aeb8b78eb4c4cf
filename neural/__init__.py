"""kgn.neural: classic deep-learning models (CNN, RNN, autoencoders, VAE, GAN, self-attention)
trained by one :class:`neural.trainer.Trainer` on CPU or GPU.

Import the submodules you need (``neural.models``, ``neural.data``, ``neural.trainer``,
``neural.runs``); nothing heavy is imported here.
"""
