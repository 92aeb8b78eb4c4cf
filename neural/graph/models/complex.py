"""ComplEx (Trouillon et al., ICML 2016, "Complex embeddings for simple link prediction"):
``Re(<h, r, conj(t)>)`` over complex vectors stored as [real | imaginary] halves."""

from __future__ import annotations

import torch

from neural.graph.models.base import ShallowKGE, dot, dot_each


def complex_mul(a, b):
    ar, ai = a.chunk(2, dim=-1)
    br, bi = b.chunk(2, dim=-1)
    return torch.cat([ar * br - ai * bi, ar * bi + ai * br], dim=-1)


class ComplEx(ShallowKGE):
    name = "complex"
    complex_valued = True

    @staticmethod
    def tail_query(h, r):
        # Re(<a, conj(t)>) = a_re . t_re + a_im . t_im with a = h * r: a real dot product.
        return complex_mul(h, r)

    @staticmethod
    def head_query(r, t):
        # Re(h * x) with x = r * conj(t) is h_re . x_re - h_im . x_im.
        tr, ti = t.chunk(2, dim=-1)
        xr, xi = complex_mul(r, torch.cat([tr, -ti], dim=-1)).chunk(2, dim=-1)
        return torch.cat([xr, -xi], dim=-1)

    match = staticmethod(dot)
    match_each = staticmethod(dot_each)
