"""Banks and entries through the client: made, read, changed, paged, switched off and on, deleted."""

from __future__ import annotations

import random
import unittest
from datetime import datetime, timedelta, timezone

from countersignal_client import Countersignal, CountersignalError

from . import support


class BanksAndEntriesTest(unittest.TestCase):
    cs: Countersignal
    rng: random.Random

    @classmethod
    def setUpClass(cls) -> None:
        cls.cs = support.client()
        cls.rng = random.Random(11)

    def new_bank(self, **fields) -> dict:
        bank = self.cs.create_bank(support.unique("client test"), **fields)
        self.addCleanup(self.delete_quietly, bank["id"])
        return bank

    def delete_quietly(self, bank_id: int) -> None:
        try:
            self.cs.delete_bank(bank_id)
        except CountersignalError as error:
            if error.status != 404:
                raise

    def test_bank_is_created_read_changed_listed_and_deleted(self) -> None:
        bank = self.new_bank(description="perpetrator video stills", labels=["attacker_manifesto"],
                             entities=["perpetrator"], thresholds={"pdq": 24})
        self.assertEqual(self.cs.bank(bank["id"])["description"], "perpetrator video stills")
        self.assertEqual(bank["labels"], ["attacker_manifesto"])
        self.assertEqual(bank["thresholds"]["pdq"], 24)
        self.assertEqual(bank["thresholds"]["md5"], 0, "the server fills in the other types' defaults")

        changed = self.cs.update_bank(bank["id"], description="closed", thresholds={"pdq": 20}, enabled=False)
        self.assertEqual(changed["description"], "closed")
        self.assertEqual(changed["thresholds"]["pdq"], 20)
        self.assertEqual(changed["thresholds"]["text"], bank["thresholds"]["text"], "thresholds are merged")
        self.assertFalse(changed["enabled"])
        self.assertEqual(changed["name"], bank["name"])
        self.assertIn(bank["id"], [b["id"] for b in self.cs.banks()])

        self.cs.delete_bank(bank["id"])
        with self.assertRaises(CountersignalError) as gone:
            self.cs.bank(bank["id"])
        self.assertEqual(gone.exception.status, 404)
        self.assertNotIn(bank["id"], [b["id"] for b in self.cs.banks()])

    def test_a_taken_name_is_a_conflict(self) -> None:
        bank = self.new_bank()
        with self.assertRaises(CountersignalError) as taken:
            self.cs.create_bank(bank["name"])
        self.assertEqual(taken.exception.status, 409)
        self.assertEqual(taken.exception.type, "urn:countersignal:problem:conflict")

    def test_unknown_bank_is_404_with_a_problem(self) -> None:
        with self.assertRaises(CountersignalError) as missing:
            self.cs.bank(987_654_321)
        error = missing.exception
        self.assertEqual(error.status, 404)
        self.assertEqual(error.title, "Not found")
        self.assertIn("987654321", error.detail or "")
        self.assertEqual(error.problem["instance"], "/api/v1/banks/987654321")
        with self.assertRaises(CountersignalError) as no_bank:
            self.cs.add_entry(987_654_321, {"pdq": support.random_pdq(self.rng)})
        self.assertEqual(no_bank.exception.status, 404)

    def test_bad_hash_is_refused_with_the_field_at_fault(self) -> None:
        bank = self.new_bank()
        with self.assertRaises(CountersignalError) as refused:
            self.cs.add_entry(bank["id"], {"pdq": "f8f8f0ce-not-a-hash"})
        error = refused.exception
        self.assertEqual(error.status, 422)
        self.assertEqual(error.type, "urn:countersignal:problem:invalid")
        self.assertEqual(error.field, "signals.pdq")
        self.assertIn("64 hex digits", error.detail or "")
        self.assertEqual(self.cs.entries(bank["id"])["items"], [], "nothing was banked")

    def test_wrong_json_type_is_400(self) -> None:
        with self.assertRaises(CountersignalError) as refused:
            self.cs.create_bank(support.unique("typed"), thresholds={"pdq": "20"})
        self.assertEqual(refused.exception.status, 400)
        self.assertEqual(refused.exception.field, "thresholds.pdq")

    def test_entry_keeps_its_details_and_signals_in_canonical_form(self) -> None:
        bank = self.new_bank(labels=["attacker_manifesto"])
        pdq = support.random_pdq(self.rng)
        entry = self.cs.add_entry(bank["id"], {"pdq": pdq.upper()}, labels=["graphic_violence_defenceless"],
                                  note="from the livestream", entities=["perpetrator"], provenance="report 4411")
        read = self.cs.entry(entry["id"])
        self.assertEqual(read["bank_id"], bank["id"])
        self.assertEqual(read["signals"], {"pdq": pdq}, "the server stores hex in lower case")
        self.assertEqual(read["labels"], ["graphic_violence_defenceless"])
        self.assertEqual(read["note"], "from the livestream")
        self.assertEqual(read["provenance"], "report 4411")
        self.assertTrue(read["enabled"])
        with self.assertRaises(CountersignalError) as again:
            self.cs.add_entry(bank["id"], {"pdq": pdq})
        self.assertEqual(again.exception.status, 409)

    def test_entries_are_paged_in_id_order_and_filtered(self) -> None:
        bank = self.new_bank()
        ids = [self.cs.add_entry(bank["id"], {"pdq": support.random_pdq(self.rng)},
                                 labels=["attacker_manifesto"] if i % 3 == 0 else None)["id"] for i in range(25)]
        first = self.cs.entries(bank["id"], limit=10)
        self.assertEqual([e["id"] for e in first["items"]], ids[:10])
        self.assertEqual(first["next_after"], ids[9])
        second = self.cs.entries(bank["id"], after=first["next_after"], limit=10)
        self.assertEqual([e["id"] for e in second["items"]], ids[10:20])

        self.assertEqual([e["id"] for e in self.cs.iter_entries(bank["id"], page_size=7)], ids)
        labelled = [e["id"] for e in self.cs.iter_entries(bank["id"], page_size=3, label="attacker_manifesto")]
        self.assertEqual(labelled, ids[::3])
        across = [e["id"] for e in self.cs.iter_entries(None, page_size=1000, label="attacker_manifesto")]
        self.assertTrue(set(ids[::3]) <= set(across), "the search across banks finds them too")

    def test_disable_enable_and_delete_change_what_matches(self) -> None:
        bank = self.new_bank()
        pdq = support.random_pdq(self.rng)
        entry = self.cs.add_entry(bank["id"], {"pdq": pdq})

        def hits() -> list[int]:
            return [m["entry_id"] for m in self.cs.match({"pdq": pdq}, banks=[bank["id"]])["matches"]]

        self.assertEqual(hits(), [entry["id"]])
        until = datetime.now(timezone.utc) + timedelta(days=30)
        disabled = self.cs.disable_entry(entry["id"], "false positive: news report", until=until)
        self.assertFalse(disabled["enabled"])
        self.assertEqual(disabled["disabled_reason"], "false positive: news report")
        self.assertEqual(datetime.fromisoformat(disabled["disabled_until"]).date(), until.date())
        self.assertEqual(hits(), [], "a disabled entry stops matching at once")
        self.assertEqual([e["id"] for e in self.cs.iter_entries(bank["id"], enabled=False)], [entry["id"]])

        self.assertTrue(self.cs.enable_entry(entry["id"])["enabled"])
        self.assertEqual(hits(), [entry["id"]])

        self.cs.delete_entry(entry["id"])
        self.assertEqual(hits(), [])
        with self.assertRaises(CountersignalError) as gone:
            self.cs.entry(entry["id"])
        self.assertEqual(gone.exception.status, 404)

    def test_blank_disable_reason_and_past_until_are_refused(self) -> None:
        bank = self.new_bank()
        entry = self.cs.add_entry(bank["id"], {"pdq": support.random_pdq(self.rng)})
        for reason, until in (("  ", None), ("false positive", datetime.now(timezone.utc) - timedelta(days=1))):
            with self.assertRaises(CountersignalError) as refused:
                self.cs.disable_entry(entry["id"], reason, until=until)
            self.assertEqual(refused.exception.status, 422)
        self.assertTrue(self.cs.entry(entry["id"])["enabled"])


if __name__ == "__main__":
    unittest.main()
