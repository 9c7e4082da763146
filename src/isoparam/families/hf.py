"""``hf:gpt2`` and ``hf:llama``: Hugging Face ``transformers`` models from configurations
made locally (nothing is downloaded), with the arguments and defaults of ``gpt`` and
``llama``. They count exactly as isoparam's own builders do (GPT-2 small 124,439,808,
Llama-2-7B 6,738,415,616), which makes each a check of the other. Needs the ``hf`` extra
(``transformers``).
"""

from __future__ import annotations

from dataclasses import replace

from isoparam.families.gpt import GPT
from isoparam.families.llama import LLAMA

HF_GPT2 = replace(
    GPT,
    name="hf:gpt2",
    builder="isoparam.families.hf_torch:gpt2",
    help="Hugging Face GPT2LMHeadModel (needs transformers); arguments as for gpt, without bias",
    defaults=tuple((key, value) for key, value in GPT.defaults if key != "bias"),
    arg_help=tuple((key, text) for key, text in GPT.arg_help if key != "bias"),
    needs=("torch", "transformers"),
)
HF_LLAMA = replace(
    LLAMA,
    name="hf:llama",
    builder="isoparam.families.hf_torch:llama",
    help="Hugging Face LlamaForCausalLM (needs transformers); arguments as for llama",
    needs=("torch", "transformers"),
)
