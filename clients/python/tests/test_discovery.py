"""Variant discovery through the client."""

from __future__ import annotations

import random
import unittest

from countersignal_client import Countersignal, CountersignalError

from . import support


class DiscoveryTest(unittest.TestCase):
    """An upload just past a banked hash's threshold is proposed, and banked when accepted."""

    cs: Countersignal

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()

    def test_an_edited_copy_is_proposed_and_matches_once_accepted(self) -> None:
        rng = random.Random(71)
        bank = self.cs.create_bank(support.unique("attack stills"))
        self.addCleanup(self.cs.delete_bank, bank["id"])
        banked = support.random_pdq(rng)
        entry = self.cs.add_entry(bank["id"], {"pdq": banked}, labels=["attacker_manifesto"])
        was_on = self.cs.discovery_settings()["enabled"]
        self.assertTrue(self.cs.change_discovery_settings(enabled=True)["enabled"])
        self.addCleanup(self.cs.change_discovery_settings, enabled=was_on)

        edited = support.flip_bits(banked, 40, rng)
        answer = self.cs.match({"pdq": edited}, content={"id": support.unique("post"), "account": "acct-1"})
        self.assertEqual(answer["matches"], [])
        self.cs.run_discovery()
        [proposal] = [p for p in self.cs.proposals(state="open", kind="near_miss") if p["entry_id"] == entry["id"]]
        self.assertEqual(proposal["distance"], 40)
        self.assertEqual(self.cs.proposal(proposal["id"])["value"], edited)

        accepted = self.cs.accept_proposal(proposal["id"])
        self.assertEqual(accepted["state"], "accepted")
        hits = self.cs.match({"pdq": edited})["matches"]
        self.assertIn(accepted["accepted_entry_id"], [hit["entry_id"] for hit in hits])
        with self.assertRaises(CountersignalError) as refused:
            self.cs.reject_proposal(proposal["id"], "too late")
        self.assertEqual(refused.exception.status, 409)
