"""Developer tooling, not part of the app a user runs.

* :mod:`.screenshots` - the README's pictures (``make screenshots``);
* :mod:`.sample_assets` - the sample inputs of ``assets/``;
* :mod:`.demo_recognizer` - a stand-in recognizer without a model, for tests and screenshots
  (no Qt).
"""
