(** * The tuned heavy ball (theorem 4 of proofs/README.md, SPEC section 6):
      alpha = 4/(sqrt L + sqrt mu)^2, beta = ((sqrt kappa - 1)/(sqrt kappa + 1))^2
      is critically damped at mu and L, complex in between, has rate
      (sqrt kappa - 1)/(sqrt kappa + 1) at every lambda in [mu, L], and no
      (alpha, beta) has a smaller rate at both mu and L; the minimiser is unique. *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.QuasiConvex.
Open Scope R_scope.

Definition hb_rate (mu L : R) : R := (sqrt (L / mu) - 1) / (sqrt (L / mu) + 1).
Definition hb_alpha (mu L : R) : R := 4 / ((sqrt L + sqrt mu) * (sqrt L + sqrt mu)).
Definition hb_beta (mu L : R) : R := hb_rate mu L * hb_rate mu L.

(** ** Everything in terms of a = sqrt mu, b = sqrt L *)
Lemma rate_ab : forall mu L, 0 < mu ->
  hb_rate mu L = (sqrt L - sqrt mu) / (sqrt L + sqrt mu).
Proof.
  intros mu L Hmu. unfold hb_rate. rewrite sqrt_div_alt by exact Hmu.
  pose proof (sqrt_lt_R0 mu Hmu). pose proof (sqrt_pos L).
  field; lra.
Qed.

Lemma core_facts : forall a b, 0 < a <= b ->
  let r := (b - a) / (b + a) in
  let alpha := 4 / ((b + a) * (b + a)) in
  0 <= r < 1 /\ 1 - r = 2 * a / (b + a) /\ 1 + r = 2 * b / (b + a) /\
  alpha * (a * a) = (1 - r) * (1 - r) /\ alpha * (b * b) = (1 + r) * (1 + r) /\ 0 < alpha.
Proof.
  intros a b Hab r alpha.
  assert (Hs : 0 < b + a) by lra.
  assert (E1 : 1 - r = 2 * a / (b + a)) by (unfold r; field; lra).
  assert (E2 : 1 + r = 2 * b / (b + a)) by (unfold r; field; lra).
  assert (Hr0 : 0 <= r).
  { unfold r, Rdiv. apply Rmult_le_pos; [lra | left; apply Rinv_0_lt_compat; lra]. }
  assert (Hr1 : r < 1).
  { assert (0 < 2 * a / (b + a)) by (apply Rdiv_lt_0_compat; lra). lra. }
  repeat split; try lra.
  - rewrite E1; unfold alpha; field; lra.
  - rewrite E2; unfold alpha; field; lra.
  - unfold alpha; apply Rdiv_lt_0_compat; nra.
Qed.

(** The discriminant factorises: tau^2 - 4 r^2 = ((1-r)^2 - s)((1+r)^2 - s). *)
Lemma disc_factor : forall r s,
  (1 + r * r - s) * (1 + r * r - s) - 4 * (r * r) =
  ((1 - r) * (1 - r) - s) * ((1 + r) * (1 + r) - s).
Proof. intros; ring. Qed.

(** If beta = r^2 with r >= 0 and the discriminant is <= 0, the rate is r. *)
Lemma rho_nonpos_disc : forall tau r, 0 <= r ->
  tau * tau - 4 * (r * r) <= 0 -> rho2 (- tau) (r * r) = r.
Proof.
  intros tau r Hr HD. unfold rho2, disc.
  replace (- tau * - tau) with (tau * tau) by ring.
  destruct (Rlt_dec (tau * tau - 4 * (r * r)) 0) as [Hlt | Hge].
  - apply sqrt_square; exact Hr.
  - assert (H0 : tau * tau - 4 * (r * r) = 0) by lra.
    rewrite H0, sqrt_0, Rabs_Ropp.
    pose proof (Rabs_pos tau). pose proof (Rabs_sqr tau).
    assert (Rabs tau * Rabs tau = (2 * r) * (2 * r)) by nra.
    assert (Rabs tau = 2 * r) by nra.
    lra.
Qed.

Lemma tuned_core : forall a b lambda, 0 < a <= b -> a * a <= lambda <= b * b ->
  let r := (b - a) / (b + a) in
  let alpha := 4 / ((b + a) * (b + a)) in
  (1 + r * r - alpha * lambda) * (1 + r * r - alpha * lambda) - 4 * (r * r) <= 0 /\
  rho_hb alpha (r * r) lambda = r.
Proof.
  intros a b lambda Hab Hl r alpha.
  destruct (core_facts a b Hab) as [Hr [E1 [E2 [Ea [Eb Hal]]]]]; fold r alpha in Hr, E1, E2, Ea, Eb, Hal.
  assert (HD : (1 + r * r - alpha * lambda) * (1 + r * r - alpha * lambda) - 4 * (r * r) <= 0).
  { rewrite disc_factor.
    assert (alpha * (a * a) <= alpha * lambda) by (apply Rmult_le_compat_l; lra).
    assert (alpha * lambda <= alpha * (b * b)) by (apply Rmult_le_compat_l; lra).
    nra. }
  split; [exact HD |].
  rewrite rho_hb_eq. apply rho_nonpos_disc; [lra | exact HD].
Qed.

Lemma sq_le : forall x y, 0 <= y -> x * x <= y * y -> x <= y.
Proof.
  intros x y Hy H. destruct (Rle_dec x y) as [|Hn]; [assumption | exfalso].
  assert (y < x) by lra.
  assert (y * y < x * x) by (apply Rmult_le_0_lt_compat; lra).
  lra.
Qed.

(** ** Lower bound: rho <= r at both a^2 and b^2 forces r (b + a) >= b - a. *)
Lemma jury_hb_at : forall alpha beta lambda r, 0 < r ->
  rho_hb alpha beta lambda <= r ->
  - (r * r) <= beta <= r * r /\
  (1 - r) * (r - beta) <= r * (alpha * lambda) /\
  r * (alpha * lambda) <= (1 + r) * (r + beta).
Proof.
  intros alpha beta lambda r Hr H. rewrite rho_hb_eq in H.
  rewrite jury_linear in H by exact Hr.
  destruct H as [H1 [H2 [H3 H4]]].
  split; [lra | split; nra].
Qed.

Lemma lower_bound_core : forall a b alpha beta r, 0 < a <= b -> 0 < r ->
  rho_hb alpha beta (a * a) <= r -> rho_hb alpha beta (b * b) <= r ->
  b - a <= r * (b + a).
Proof.
  intros a b alpha beta r Hab Hr Hm HL.
  destruct (Rle_dec 1 r) as [Hr1 | Hr1]; [nra |].
  destruct (jury_hb_at alpha beta (a * a) r Hr Hm) as [[B1 B2] [M1 M2]].
  destruct (jury_hb_at alpha beta (b * b) r Hr HL) as [_ [L1 L2]].
  set (u := r * alpha).
  assert (Hu : (1 - r) * (r - beta) <= u * (a * a)) by (unfold u; nra).
  assert (Hv : u * (b * b) <= (1 + r) * (r + beta)) by (unfold u; nra).
  (* b^2 (1-r)(r-beta) <= a^2 (1+r)(r+beta) *)
  assert (Hc : (b * b) * ((1 - r) * (r - beta)) <= (a * a) * ((1 + r) * (r + beta))).
  { assert ((b * b) * ((1 - r) * (r - beta)) <= (b * b) * (u * (a * a)))
      by (apply Rmult_le_compat_l; nra).
    assert ((a * a) * (u * (b * b)) <= (a * a) * ((1 + r) * (r + beta)))
      by (apply Rmult_le_compat_l; nra).
    nra. }
  (* r - beta >= r (1 - r), r + beta <= r (1 + r) *)
  assert (Hd : (b * b) * ((1 - r) * (r * (1 - r))) <= (a * a) * ((1 + r) * (r * (1 + r)))).
  { assert ((b * b) * ((1 - r) * (r * (1 - r))) <= (b * b) * ((1 - r) * (r - beta))).
    { apply Rmult_le_compat_l; [nra | apply Rmult_le_compat_l; nra]. }
    assert ((a * a) * ((1 + r) * (r + beta)) <= (a * a) * ((1 + r) * (r * (1 + r)))).
    { apply Rmult_le_compat_l; [nra | apply Rmult_le_compat_l; nra]. }
    lra. }
  assert (He : (b * (1 - r)) * (b * (1 - r)) <= (a * (1 + r)) * (a * (1 + r))).
  { apply (Rmult_le_reg_l r); [exact Hr |]. nra. }
  assert (Hf : b * (1 - r) <= a * (1 + r)) by (apply sq_le; [nra | exact He]).
  nra.
Qed.

(** ** Theorem 4a: the tuned heavy ball has discriminant <= 0 and rate
    (sqrt kappa - 1)/(sqrt kappa + 1) at every lambda in [mu, L]. *)
Theorem tuned_hb_rate : forall mu L lambda, 0 < mu <= L -> mu <= lambda <= L ->
  let alpha := hb_alpha mu L in
  let beta := hb_beta mu L in
  (1 + beta - alpha * lambda) * (1 + beta - alpha * lambda) - 4 * beta <= 0 /\
  rho_hb alpha beta lambda = hb_rate mu L.
Proof.
  intros mu L lambda Hml Hl alpha beta.
  assert (Hmu : 0 < mu) by lra.
  set (a := sqrt mu); set (b := sqrt L).
  assert (Ha : 0 < a) by (apply sqrt_lt_R0; lra).
  assert (Hab : a <= b) by (apply sqrt_le_1_alt; lra).
  assert (Ea : a * a = mu) by (apply sqrt_sqrt; lra).
  assert (Eb : b * b = L) by (apply sqrt_sqrt; lra).
  assert (Er : hb_rate mu L = (b - a) / (b + a)) by (apply rate_ab; exact Hmu).
  assert (Eal : alpha = 4 / ((b + a) * (b + a))) by reflexivity.
  unfold beta, hb_beta. rewrite Er, Eal.
  apply tuned_core; [lra | rewrite Ea, Eb; exact Hl].
Qed.

(** Same for the velocity form with eta = alpha. *)
Corollary tuned_vel_rate : forall mu L lambda, 0 < mu <= L -> mu <= lambda <= L ->
  rho_vel (hb_beta mu L) (hb_alpha mu L) lambda = hb_rate mu L.
Proof. intros; rewrite rho_vel_eq_hb; apply tuned_hb_rate; assumption. Qed.

(** Critical damping at both ends: the discriminant is exactly 0 at mu and L. *)
Theorem tuned_hb_critical_ends : forall mu L, 0 < mu <= L ->
  let alpha := hb_alpha mu L in
  let beta := hb_beta mu L in
  (1 + beta - alpha * mu) * (1 + beta - alpha * mu) - 4 * beta = 0 /\
  (1 + beta - alpha * L) * (1 + beta - alpha * L) - 4 * beta = 0.
Proof.
  intros mu L Hml alpha beta.
  set (a := sqrt mu); set (b := sqrt L).
  assert (Ha : 0 < a) by (apply sqrt_lt_R0; lra).
  assert (Hab : a <= b) by (apply sqrt_le_1_alt; lra).
  assert (Ea : a * a = mu) by (apply sqrt_sqrt; lra).
  assert (Eb : b * b = L) by (apply sqrt_sqrt; lra).
  assert (Er : hb_rate mu L = (b - a) / (b + a)) by (apply rate_ab; lra).
  unfold beta, hb_beta, alpha, hb_alpha; rewrite Er; fold a b.
  destruct (core_facts a b (conj Ha Hab)) as [_ [_ [_ [E1 [E2 _]]]]].
  rewrite <- Ea, <- Eb.
  replace (sqrt L + sqrt mu) with (b + a) by reflexivity.
  set (r := (b - a) / (b + a)) in *. set (al := 4 / ((b + a) * (b + a))) in *.
  rewrite !disc_factor, E1, E2. split; ring.
Qed.

(** ** Theorem 4b: no (alpha, beta) does better at both mu and L. *)
Theorem hb_lower_bound : forall mu L alpha beta, 0 < mu <= L ->
  hb_rate mu L <= Rmax (rho_hb alpha beta mu) (rho_hb alpha beta L).
Proof.
  intros mu L alpha beta Hml.
  set (a := sqrt mu); set (b := sqrt L).
  assert (Ha : 0 < a) by (apply sqrt_lt_R0; lra).
  assert (Hab : a <= b) by (apply sqrt_le_1_alt; lra).
  assert (Ea : a * a = mu) by (apply sqrt_sqrt; lra).
  assert (Eb : b * b = L) by (apply sqrt_sqrt; lra).
  assert (Er : hb_rate mu L = (b - a) / (b + a)) by (apply rate_ab; lra).
  rewrite Er.
  apply (le_all_pos_le_0 ((b - a) / (b + a))).
  - pose proof (rho2_nonneg (- (1 + beta - alpha * mu)) beta).
    rewrite <- rho_hb_eq in H. eapply Rle_trans; [exact H | apply Rmax_l].
  - intros r Hr Hm.
    assert (H1 : rho_hb alpha beta (a * a) <= r) by (rewrite Ea; eapply Rle_trans; [apply Rmax_l | exact Hm]).
    assert (H2 : rho_hb alpha beta (b * b) <= r) by (rewrite Eb; eapply Rle_trans; [apply Rmax_r | exact Hm]).
    pose proof (lower_bound_core a b alpha beta r (conj Ha Hab) Hr H1 H2).
    apply (Rmult_le_reg_r (b + a)); [lra |].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(** Over the whole interval: the worst case over [mu, L] of any (alpha, beta)
    is at least the tuned rate, which the tuned parameters attain. *)
Corollary hb_optimal : forall mu L alpha beta, 0 < mu <= L ->
  (forall lambda, mu <= lambda <= L -> rho_hb (hb_alpha mu L) (hb_beta mu L) lambda <= hb_rate mu L) /\
  exists lambda, mu <= lambda <= L /\ hb_rate mu L <= rho_hb alpha beta lambda.
Proof.
  intros mu L alpha beta Hml. split.
  - intros lambda Hl. right. apply tuned_hb_rate; assumption.
  - pose proof (hb_lower_bound mu L alpha beta Hml) as H.
    unfold Rmax in H. destruct (Rle_dec (rho_hb alpha beta mu) (rho_hb alpha beta L)).
    + exists L. split; [lra | exact H].
    + exists mu. split; [lra | exact H].
Qed.

(** ** Theorem 4c: uniqueness. If some (alpha, beta) reaches the tuned rate
    at both mu and L, it is the tuned pair. *)
Lemma rho2_zero : forall a1 a0, rho2 a1 a0 <= 0 -> a1 = 0 /\ a0 = 0.
Proof.
  intros a1 a0 H. pose proof (rho2_nonneg a1 a0).
  unfold rho2, disc in *.
  destruct (Rlt_dec (a1 * a1 - 4 * a0) 0) as [Hlt | Hge].
  - exfalso. assert (Ha0 : 0 < a0) by nra.
    pose proof (sqrt_lt_R0 a0 Ha0). lra.
  - pose proof (Rabs_pos a1). pose proof (sqrt_pos (a1 * a1 - 4 * a0)).
    assert (HA : Rabs a1 = 0) by lra.
    assert (HS : sqrt (a1 * a1 - 4 * a0) = 0) by lra.
    assert (Ha1 : a1 = 0).
    { destruct (Req_dec a1 0) as [E | Ne]; [exact E | exfalso; exact (Rabs_no_R0 a1 Ne HA)]. }
    subst a1. assert (Hz : 0 * 0 - 4 * a0 = 0) by (apply sqrt_eq_0; lra).
    split; lra.
Qed.

Theorem hb_unique : forall mu L alpha beta, 0 < mu <= L ->
  rho_hb alpha beta mu <= hb_rate mu L -> rho_hb alpha beta L <= hb_rate mu L ->
  alpha = hb_alpha mu L /\ beta = hb_beta mu L.
Proof.
  intros mu L alpha beta Hml Hm HL.
  set (a := sqrt mu) in *; set (b := sqrt L) in *.
  assert (Ha : 0 < a) by (apply sqrt_lt_R0; lra).
  assert (Hab : a <= b) by (apply sqrt_le_1_alt; lra).
  assert (Ea : a * a = mu) by (apply sqrt_sqrt; lra).
  assert (Eb : b * b = L) by (apply sqrt_sqrt; lra).
  assert (Er : hb_rate mu L = (b - a) / (b + a)) by (apply rate_ab; lra).
  unfold hb_beta, hb_alpha; rewrite Er in *; fold a b.
  replace (sqrt L + sqrt mu) with (b + a) by reflexivity.
  destruct (core_facts a b (conj Ha Hab)) as [Hr [E1 [E2 [Eam [Ebm Hal]]]]].
  set (r := (b - a) / (b + a)) in *. set (al := 4 / ((b + a) * (b + a))) in *.
  assert (Hrab : r * (b + a) = b - a) by (unfold r; field; lra).
  rewrite <- Ea in Hm. rewrite <- Eb in HL.
  destruct (Req_dec r 0) as [Hr0 | Hr0].
  - (* kappa = 1: both roots are 0 *)
    rewrite Hr0 in Hm, HL |- *.
    rewrite rho_hb_eq in Hm. apply rho2_zero in Hm. destruct Hm as [Hm1 Hm2].
    assert (Hba : b = a) by nra.
    subst beta. split; [| ring].
    assert (Hal1 : alpha * (a * a) = 1) by lra.
    assert (al * (a * a) = 1) by (rewrite Eam, Hr0; ring).
    apply (Rmult_eq_reg_r (a * a)); nra.
  - assert (Hrp : 0 < r) by lra.
    destruct (jury_hb_at alpha beta (a * a) r Hrp Hm) as [[B1 B2] [M1 M2]].
    destruct (jury_hb_at alpha beta (b * b) r Hrp HL) as [_ [L1 L2]].
    assert (Hba : b * (1 - r) = a * (1 + r)) by nra.
    (* beta = r^2: otherwise the chain of lower_bound_core is strict *)
    assert (Hbeta : beta = r * r).
    { destruct (Req_dec beta (r * r)) as [E | Ne]; [exact E | exfalso].
      assert (Hlt : beta < r * r) by lra.
      set (u := r * alpha).
      assert (Hu : (1 - r) * (r - beta) <= u * (a * a)) by (unfold u; nra).
      assert (Hv : u * (b * b) <= (1 + r) * (r + beta)) by (unfold u; nra).
      assert (Hc : (b * b) * ((1 - r) * (r - beta)) <= (a * a) * ((1 + r) * (r + beta))).
      { assert ((b * b) * ((1 - r) * (r - beta)) <= (b * b) * (u * (a * a)))
          by (apply Rmult_le_compat_l; nra).
        assert ((a * a) * (u * (b * b)) <= (a * a) * ((1 + r) * (r + beta)))
          by (apply Rmult_le_compat_l; nra).
        nra. }
      assert (Hp : 0 < (b * b) * (1 - r)) by nra.
      assert (Hs : (b * b) * ((1 - r) * (r * (1 - r))) < (b * b) * ((1 - r) * (r - beta))) by nra.
      assert (Ht : (a * a) * ((1 + r) * (r + beta)) < (a * a) * ((1 + r) * (r * (1 + r)))).
      { apply Rmult_lt_compat_l; [nra |]. apply Rmult_lt_compat_l; lra. }
      assert (Heq : (b * b) * ((1 - r) * (r * (1 - r))) = (a * a) * ((1 + r) * (r * (1 + r)))).
      { replace ((b * b) * ((1 - r) * (r * (1 - r)))) with (r * ((b * (1 - r)) * (b * (1 - r)))) by ring.
        rewrite Hba. ring. }
      lra. }
    subst beta. split; [| reflexivity].
    (* r alpha a^2 >= (1-r) r (1-r) and r alpha b^2 <= (1+r) r (1+r) *)
    assert (Hlo : (1 - r) * (1 - r) <= alpha * (a * a)).
    { apply (Rmult_le_reg_l r); [exact Hrp |]. nra. }
    assert (Hhi : alpha * (b * b) <= (1 + r) * (1 + r)).
    { apply (Rmult_le_reg_l r); [exact Hrp |]. nra. }
    rewrite <- Eam in Hlo. rewrite <- Ebm in Hhi.
    assert (al <= alpha) by (apply (Rmult_le_reg_r (a * a)); nra).
    assert (alpha <= al) by (apply (Rmult_le_reg_r (b * b)); nra).
    lra.
Qed.
