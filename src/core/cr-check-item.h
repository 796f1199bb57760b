/* cr-check-item.h: one line of the verification checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CR_CHECK_PENDING,
  CR_CHECK_RUNNING,
  CR_CHECK_PASSED,
  CR_CHECK_WARNING,
  CR_CHECK_FAILED,
  CR_CHECK_NEEDS_YOU,
} CrCheckStatus;

GType        cr_check_status_get_type (void) G_GNUC_CONST;
#define CR_TYPE_CHECK_STATUS (cr_check_status_get_type ())
/* "pending", "running", … (stable, for --json) */
const char  *cr_check_status_to_string (CrCheckStatus status);

/* The groups of the checklist: what the gateway answers, and what Cursor
 * itself is set to. */
#define CR_CHECK_SECTION_GATEWAY "gateway"
#define CR_CHECK_SECTION_CURSOR  "cursor"

#define CR_TYPE_CHECK_ITEM (cr_check_item_get_type ())
G_DECLARE_FINAL_TYPE (CrCheckItem, cr_check_item, CR, CHECK_ITEM, GObject)

/* In the gateway section. */
CrCheckItem   *cr_check_item_new         (const char    *id,
                                          const char    *title);
CrCheckItem   *cr_check_item_new_in_section (const char *id,
                                          const char    *title,
                                          const char    *section);
const char    *cr_check_item_get_id      (CrCheckItem   *self);
const char    *cr_check_item_get_title   (CrCheckItem   *self);
/* CR_CHECK_SECTION_GATEWAY or CR_CHECK_SECTION_CURSOR ("section" property). */
const char    *cr_check_item_get_section (CrCheckItem   *self);
CrCheckStatus  cr_check_item_get_status  (CrCheckItem   *self);
/* What was found, for a person (translated). */
const char    *cr_check_item_get_detail  (CrCheckItem   *self);
/* What to do about it; NULL when nothing. */
const char    *cr_check_item_get_fix     (CrCheckItem   *self);
/* The troubleshooting row that matches a failure ("401", "404", …), or NULL. */
const char    *cr_check_item_get_symptom (CrCheckItem   *self);

/* TRUE when what this item looks at differs from the last check that was
 * remembered (e.g. Cursor's settings after an update); "changed" property. */
gboolean       cr_check_item_get_changed (CrCheckItem   *self);
void           cr_check_item_set_changed (CrCheckItem   *self,
                                          gboolean       changed);

/* Sets everything at once and notifies once per changed property. */
void           cr_check_item_update      (CrCheckItem   *self,
                                          CrCheckStatus  status,
                                          const char    *detail,
                                          const char    *fix,
                                          const char    *symptom);

/* Several findings about one item, one way for every check: the most
 * serious status wins (failed, then needs you, then warning, then passed)
 * with its symptom, and the sentences add up, whole. Start with
 * CR_CHECK_FINDINGS_INIT; _apply() updates the item and clears. */
typedef struct {
  CrCheckStatus  status;
  char          *detail;
  char          *fix;
  const char    *symptom;
} CrCheckFindings;

#define CR_CHECK_FINDINGS_INIT { CR_CHECK_PASSED, NULL, NULL, NULL }

/* Takes @detail and @fix (either may be NULL). */
void           cr_check_findings_add     (CrCheckFindings *findings,
                                          CrCheckStatus    status,
                                          const char      *symptom,
                                          char            *detail,
                                          char            *fix);
void           cr_check_findings_apply   (CrCheckFindings *findings,
                                          CrCheckItem     *item);

G_END_DECLS
