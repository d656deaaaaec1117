import torch, json, math
import torch.nn.functional as F
torch.set_num_threads(1)
out = {}
p = torch.nn.Parameter(torch.zeros(1))
opt = torch.optim.Adam([p], lr=1e-3)
sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=20)
lrs, b1 = [], []
for k in range(20):
    lrs.append(opt.param_groups[0]['lr']); b1.append(opt.param_groups[0]['betas'][0])
    opt.step(); sch.step()
out['onecycle_lr'] = lrs; out['onecycle_beta1'] = b1
opt = torch.optim.Adam([p], lr=0.1)
sch = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
cl = []
for k in range(20):
    cl.append(opt.param_groups[0]['lr']); opt.step(); sch.step()
out['cosine_lr'] = cl
# Adam with one-cycle over 4 "epochs", 3 steps each, weight decay 1e-5
w = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
opt = torch.optim.Adam([{'params': [w], 'weight_decay': 1e-5}], lr=1e-3)
sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=4)
grads = [[0.3, -0.1, 0.0], [0.2, 0.4, -1.0], [-0.5, 0.05, 0.25]]
for e in range(4):
    for g in grads:
        opt.zero_grad(); w.grad = torch.tensor(g); opt.step()
    sch.step()
out['adam_onecycle_w'] = w.detach().tolist()
# DCLS forward (the formula of torch_delays.py)
Td, I, O, T = 5, 3, 2, 6
W = torch.tensor([[0.5, -0.3, 0.8], [0.2, 0.9, -0.6]])
P = torch.tensor([[-1.3, 0.4, 2.0], [1.6, -2.0, 0.0]])
x = torch.tensor([[1, 0, 2], [0, 1, 0], [0, 0, 1], [3, 0, 0], [0, 2, 0], [1, 1, 1]], dtype=torch.float32).view(T, 1, I)
def dcls(x, sig, rnd):
    n = torch.arange(Td, dtype=x.dtype)
    mu = (torch.round(P) if rnd else P) + Td // 2
    if rnd:
        g = (n.view(1, 1, -1) == mu.unsqueeze(-1)).to(x.dtype)
    else:
        s = abs(sig) + 0.27
        g = torch.exp(-0.5 * ((n.view(1, 1, -1) - mu.unsqueeze(-1)) / s) ** 2)
        g = g / (g.sum(-1, keepdim=True) + 1e-7)
    K = W.unsqueeze(-1) * g
    xb = F.pad(x.permute(1, 2, 0), (Td - 1, (Td - 1) // 2))
    return F.conv1d(xb, K).permute(2, 0, 1)
out['dcls_W'] = W.tolist(); out['dcls_P'] = P.tolist(); out['dcls_x'] = x.view(T, I).tolist()
out['dcls_train_sig1'] = dcls(x, 1.0, False).reshape(-1).tolist()
out['dcls_eval'] = dcls(x, 1.0, True).reshape(-1).tolist()
print(json.dumps(out))
