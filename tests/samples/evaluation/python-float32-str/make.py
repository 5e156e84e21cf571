# Regenerates cases.json: how NumPy prints float32 values (what Qualia's host sends over serial).
import json
import numpy as np
rng = np.random.default_rng(5)
vals = [0.1, 1.0, -0.5, 1e-5, 1.5e-7, 123456.789, 1e16, 1e10, 0.0001, 3.4028235e38, 1/3, 100.0, -0.0, 0.0, 2.5e-4, 9.999e-5, 65504.0, 1.17549435e-38, 1e-45]
vals += [1e7, 123456789.0, 999999.94, 1e6, 99999.99, 0.00011, 1234567.0]
vals += list(rng.standard_normal(60) * 10.0 ** rng.integers(-8, 9, 60))
out = [{"bits": int(np.float32(v).view(np.uint32)), "str": str(np.float32(v))} for v in vals]
json.dump({"numpy": np.__version__, "cases": out}, open("cases.json", "w"), indent=0)
