import torch

from neural.models import get_model
from tests.neural.tiny import image_data, overfit


def test_shapes(image_spec):
    model = get_model("gan", image_spec, latent=8)
    s = model.sample(5, generator=torch.Generator().manual_seed(0))
    assert s.shape == (5, 1, 8, 8) and s.min() >= 0 and s.max() <= 1
    assert model.discriminator(s).shape == (5,)


def test_own_step_updates_both_networks_with_two_optimizers(image_spec):
    from neural.trainer import Trainer, TrainerConfig

    torch.manual_seed(0)
    model = get_model("gan", image_spec)
    trainer = Trainer(TrainerConfig(device="cpu"))
    trainer.model = model
    trainer.optimizers = model.configure_optimizers(trainer.config)
    assert len(trainer.optimizers) == 2 and trainer.optimizers[0].param_groups[0]["lr"] == 2e-4
    g0 = [p.clone() for p in model.generator.parameters()]
    d0 = [p.clone() for p in model.discriminator.parameters()]
    x, _ = image_data(8)
    logs = model.train().training_step((x,), trainer)
    assert {"d_loss", "g_loss", "d_real", "d_fake"} <= set(logs)
    assert any(not torch.equal(a, b) for a, b in zip(g0, model.generator.parameters()))
    assert any(not torch.equal(a, b) for a, b in zip(d0, model.discriminator.parameters()))


def test_discriminator_loss_falls_on_a_tiny_batch(image_spec):
    torch.manual_seed(0)
    x, y = image_data(16)
    hist = overfit(get_model("gan", image_spec), x, y, epochs=40, lr=1e-3)
    assert hist[-1]["train_d_loss"] < hist[0]["train_d_loss"]
    assert hist[-1]["train_d_real"] > hist[-1]["train_d_fake"]
